from django.urls import URLPattern, URLResolver, path

from padu.linkage import views

app_name = "linkage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("proses/<int:pk>/", views.run_detail, name="run"),
    path("proses/<int:pk>/kemajuan/", views.run_progress, name="run_progress"),
    path("klaster/", views.cluster_list, name="clusters"),
    path("klaster/<int:pk>/", views.cluster_detail, name="cluster"),
    path("klaster/<int:pk>/gabung/", views.cluster_merge, name="merge"),
    path("klaster/<int:pk>/pisah/", views.cluster_split, name="split"),
    path("perubahan/<int:pk>/batal/", views.change_undo, name="undo"),
    path("tinjauan/", views.review, name="review"),
    path("tinjauan/<int:pk>/putuskan/", views.review_decide, name="decide"),
]
